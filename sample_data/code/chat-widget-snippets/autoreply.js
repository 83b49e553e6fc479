// Canned first answers while an agent is assigned.
const REPLIES = [
  [/password|login/i, 'You can reset your password from the sign-in page.'],
  [/refund|charge/i, 'Refunds usually take five business days.'],
  [/router|wi-?fi/i, 'Restarting the router fixes most connection problems.'],
];

function autoreply(message) {
  for (const [pattern, reply] of REPLIES) {
    if (pattern.test(message)) return reply;
  }
  return 'An agent will be with you shortly.';
}
