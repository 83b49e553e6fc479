// SPDX-License-Identifier: Apache-2.0
// Copyright 2024 Harbor Point Software
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0

'use strict';

const { tokenize, score } = require('./rank');

class KnowledgeBase {
  constructor() {
    this.articles = [];
  }

  add(id, title, body) {
    this.articles.push({ id, title, tokens: tokenize(`${title} ${body}`) });
  }

  search(query, limit = 5) {
    const q = tokenize(query);
    return this.articles
      .map((a) => ({ id: a.id, title: a.title, score: score(q, a.tokens) }))
      .filter((r) => r.score > 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, limit);
  }
}

module.exports = { KnowledgeBase };
