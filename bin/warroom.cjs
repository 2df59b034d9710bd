#!/usr/bin/env node
// The `warroom` command: runs the bundled CLI (built by `npm run build`).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli', 'warroom.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('warroom: not built yet; run `npm run build` in the checkout first.\n');
  process.exit(1);
}
require(bundle);
