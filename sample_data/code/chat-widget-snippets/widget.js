// Minimal floating chat widget.
function openChat(root) {
  const box = document.createElement('div');
  box.className = 'chat-box';
  box.innerHTML = '<header>Need help?</header><ol class="log"></ol><input>';
  root.appendChild(box);
  box.querySelector('input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') send(box, e.target.value);
  });
  return box;
}

function send(box, text) {
  const li = document.createElement('li');
  li.textContent = text;
  box.querySelector('.log').appendChild(li);
}
