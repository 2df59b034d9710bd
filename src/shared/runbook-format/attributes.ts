// The trailing attribute group of a step or heading — `(owner: dba, expect: 10m, kind:
// verification, after: 3)` — and the duration syntax it uses. Only a group whose keys are all
// known is attributes; `(all regions)` or `(see: wiki)` stays part of the title.
import { ApiError } from '../api/errors.ts';
import { LIMITS, STEP_KINDS, type StepKind } from './model.ts';

/** An import problem tied to a source line; the message starts with "line N:". */
export class RunbookFormatError extends ApiError {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super('invalid_input', `line ${line}: ${problem}`, 'text');
    this.name = 'RunbookFormatError';
  }
}

const STEP_KEYS: Record<string, StepKey> = {
  owner: 'owner',
  who: 'owner',
  expect: 'expect',
  expected: 'expect',
  duration: 'expect',
  estimate: 'expect',
  eta: 'expect',
  kind: 'kind',
  type: 'kind',
  after: 'after',
  depends: 'after',
  needs: 'after',
};
const SECTION_KEYS: Record<string, SectionKey> = { target: 'target', ttr: 'target', restore: 'target' };

type StepKey = 'owner' | 'expect' | 'kind' | 'after';
type SectionKey = 'target';

const KIND_ALIASES: Record<string, StepKind> = {
  manual: 'manual',
  command: 'command',
  cmd: 'command',
  verification: 'verification',
  verify: 'verification',
  check: 'verification',
  communication: 'communication',
  comms: 'communication',
  comm: 'communication',
  announce: 'communication',
};

export interface StepAttributes {
  owner?: string | null;
  expect?: number | null;
  kind?: StepKind;
  after?: number[];
}

export interface SplitGroup<K extends string> {
  /** The text before the group, trimmed. */
  rest: string;
  pairs: [K, string][];
}

/**
 * Splits a trailing `(key: value, …)` group off a line when every key is one of `keys`;
 * otherwise null. A number without a key continues an `after` list: `(after: 3, 5)`.
 */
function splitGroup<K extends string>(text: string, keys: Record<string, K>): SplitGroup<K> | null {
  const match = /\(([^()]*)\)\s*$/.exec(text);
  if (!match) return null;
  const pairs: [K, string][] = [];
  for (const raw of match[1]!.split(',')) {
    const part = raw.trim();
    const colon = part.indexOf(':');
    if (colon < 0) {
      const last = pairs[pairs.length - 1];
      if (last && last[0] === 'after' && /^#?\d+$/.test(part)) {
        last[1] += ` ${part}`;
        continue;
      }
      return null;
    }
    const key = keys[part.slice(0, colon).trim().toLowerCase()];
    if (!key) return null;
    pairs.push([key, part.slice(colon + 1).trim()]);
  }
  if (pairs.length === 0) return null;
  return { rest: text.slice(0, match.index).trim(), pairs };
}

/** True when a title ends with something an import would read as attributes (export must guard it). */
export function endsWithStepGroup(text: string): boolean {
  return splitGroup(text, STEP_KEYS) !== null;
}

export function endsWithSectionGroup(text: string): boolean {
  return splitGroup(text, SECTION_KEYS) !== null;
}

/** Reads a step line's attributes; an invalid value is an error on `line`. */
export function readStepAttributes(text: string, line: number): { title: string; attrs: StepAttributes } {
  const group = splitGroup(text, STEP_KEYS);
  if (!group) return { title: text.trim(), attrs: {} };
  const attrs: StepAttributes = {};
  for (const [key, value] of group.pairs) {
    if (key in attrs) throw new RunbookFormatError(line, `the attribute "${key}" is given twice`);
    switch (key) {
      case 'owner':
        if (!value) throw new RunbookFormatError(line, 'owner is empty: write a role or a person, e.g. owner: dba');
        if (value.length > LIMITS.owner) throw new RunbookFormatError(line, `owner has at most ${LIMITS.owner} characters`);
        attrs.owner = value;
        break;
      case 'expect':
        attrs.expect = readDuration(value, line, 'expect');
        break;
      case 'kind': {
        const kind = KIND_ALIASES[value.toLowerCase()];
        if (!kind) throw new RunbookFormatError(line, `unknown step kind "${value}" (use ${STEP_KINDS.join(', ')})`);
        attrs.kind = kind;
        break;
      }
      case 'after':
        attrs.after = readStepNumbers(value, line);
        break;
    }
  }
  return { title: group.rest, attrs };
}

export function readSectionAttributes(text: string, line: number): { title: string; target: number | null } {
  const group = splitGroup(text, SECTION_KEYS);
  if (!group) return { title: text.trim(), target: null };
  if (group.pairs.length > 1) throw new RunbookFormatError(line, 'the attribute "target" is given twice');
  return { title: group.rest, target: readDuration(group.pairs[0]![1], line, 'target') };
}

function readStepNumbers(value: string, line: number): number[] {
  const parts = value.split(/[\s,&]+/).filter((part) => part !== '' && part.toLowerCase() !== 'and');
  if (parts.length === 0) throw new RunbookFormatError(line, 'after is empty: name earlier step numbers, e.g. after: 3');
  const numbers = parts.map((part) => {
    const m = /^#?(\d{1,4})$/.exec(part);
    if (!m || Number(m[1]) < 1) throw new RunbookFormatError(line, `after takes step numbers (e.g. after: 3, 5), not "${part}"`);
    return Number(m[1]);
  });
  return [...new Set(numbers)].sort((a, b) => a - b);
}

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(d|days?)$/, 86400],
  [/^(h|hrs?|hours?)$/, 3600],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(s|secs?|seconds?)$/, 1],
];

/**
 * `10m`, `1h30m`, `1h 30m`, `90s`, `1.5h`, `45 min`; a bare number is minutes; `none` is unset.
 * Returns whole seconds.
 */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'none' || value === '-') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 60);
  const re = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    re.lastIndex = at;
    const m = re.exec(value);
    if (!m) return undefined;
    const unit = UNIT_SECONDS.find(([pattern]) => pattern.test(m[2]!));
    if (!unit) return undefined;
    total += Number(m[1]) * unit[1];
    at = re.lastIndex;
  }
  return at === 0 ? undefined : Math.round(total);
}

function readDuration(value: string, line: number, what: string): number | null {
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new RunbookFormatError(line, `${what} "${value}" is not a duration (write e.g. 10m, 1h30m or 90s)`);
  if (seconds !== null && (seconds < 1 || seconds > LIMITS.durationSeconds)) {
    throw new RunbookFormatError(line, `${what} must be between 1s and 7 days`);
  }
  return seconds;
}

/** Whole seconds as the shortest `1h30m` / `10m` / `45s` form (what export writes). */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

/** The attribute group export writes for a step; "" when every attribute has its default. */
export function formatStepAttributes(step: { owner: string | null; expect: number | null; kind: StepKind; after: readonly number[] }): string {
  const parts: string[] = [];
  if (step.owner !== null) parts.push(`owner: ${step.owner}`);
  if (step.expect !== null) parts.push(`expect: ${formatDuration(step.expect)}`);
  if (step.kind !== 'manual') parts.push(`kind: ${step.kind}`);
  if (step.after.length > 0) parts.push(`after: ${step.after.join(', ')}`);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}
