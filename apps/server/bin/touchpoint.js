#!/usr/bin/env node
// The installed CLI runs the compiled build; `pnpm touchpoint` runs the sources through tsx.
import "../dist/cli/index.js";
