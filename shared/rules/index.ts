// The built-in rule packs, one module per family.
import type { Rule } from './rule';
import { genericRules } from './generic';
import { gitRules } from './git';
import { filesRules } from './files';
import { packageRules } from './packages';
import { runtimeRules } from './runtime';
import { toolRules } from './tools';

export const builtinRules: Rule[] = [
  ...gitRules,
  ...packageRules,
  ...filesRules,
  ...toolRules,
  ...runtimeRules,
  ...genericRules,
];
