// Building blocks for the API contract: a method is declared once with its input schema, its
// result type and whether it changes state; every transport and the client derive from that.
import type { z } from 'zod';

export type Access = 'read' | 'write';

export interface MethodSpec<I extends z.ZodType, R> {
  readonly input: I;
  readonly access: Access;
  readonly summary: string;
  /** Phantom: carries the result type; never set at run time. */
  readonly __result?: R;
}

/** `method<Result>()({ input, access, summary })` — the result type is given, the input inferred. */
export function method<R>() {
  return <I extends z.ZodType>(spec: { input: I; access: Access; summary: string }): MethodSpec<I, R> =>
    spec;
}

export type AnySpec = MethodSpec<z.ZodType, unknown>;

/** Joins per-domain groups into one table; a name declared twice is a programming error. */
export function mergeGroups<G extends readonly Record<string, AnySpec>[]>(
  ...groups: G
): UnionToIntersection<G[number]> {
  const out: Record<string, AnySpec> = {};
  for (const group of groups) {
    for (const [name, spec] of Object.entries(group)) {
      if (name in out) throw new Error(`API method declared twice: ${name}`);
      out[name] = spec;
    }
  }
  return out as UnionToIntersection<G[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
