// SPDX-License-Identifier: Apache-2.0
// Copyright 2024 Harbor Point Software
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0

'use strict';

const STOP = new Set(['the', 'a', 'to', 'and', 'my', 'is', 'it', 'of']);

function tokenize(text) {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t && !STOP.has(t));
}

function score(queryTokens, docTokens) {
  const counts = new Map();
  for (const t of docTokens) counts.set(t, (counts.get(t) || 0) + 1);
  return queryTokens.reduce((s, t) => s + Math.log1p(counts.get(t) || 0), 0);
}

module.exports = { tokenize, score };
