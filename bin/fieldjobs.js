#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx fieldjobs ...` works in a checkout without a build.
import { register } from 'tsx/esm/api'

register()
await import('../src-main/cli/entry.ts')
