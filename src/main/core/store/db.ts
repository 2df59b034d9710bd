// The only module that touches better-sqlite3. Every query goes through the `sql` tagged
// template, which binds every interpolated value, so no SQL is ever built from strings.
import Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;

export interface Query {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

const QUERY = Symbol('query');
const TEXTS = new WeakMap<TemplateStringsArray, string>();
type Fragment = Query & { readonly [QUERY]: true };

/** `sql\`SELECT … WHERE id = ${id}\`` — values become `?` parameters; nested `sql` fragments are spliced. */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Fragment)[]): Fragment {
  // The common case, plain values: a call site's text is built once (the strings array is the
  // same object on every call), so the hot insert paths neither rebuild nor rehash it.
  if (!values.some(isFragment)) {
    let text = TEXTS.get(strings);
    if (text === undefined) {
      text = strings.join('?');
      TEXTS.set(strings, text);
    }
    return { text, params: values as SqlValue[], [QUERY]: true };
  }
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isFragment(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, params, [QUERY]: true };
}

/** Joins fragments (e.g. optional WHERE terms) with a constant separator. */
export function joinSql(parts: readonly Fragment[], separator: ' AND ' | ', ' | ' OR '): Fragment {
  return {
    text: parts.map((p) => p.text).join(separator),
    params: parts.flatMap((p) => p.params),
    [QUERY]: true,
  };
}

function isFragment(value: unknown): value is Fragment {
  return typeof value === 'object' && value !== null && QUERY in value;
}

/** 1 MiB a step at the default 4 KiB page size: a few ms of copying between event-loop turns. */
const BACKUP_STEP_PAGES = 256;

/** Queries slower than this are logged: they are bugs on a local database. */
const SLOW_QUERY_MS = 40;

export interface OpenDbOptions {
  readonly?: boolean;
  /** Refuse to create the file (used to read backups and to probe a database's version). */
  mustExist?: boolean;
  log?: (line: string) => void;
}

export class Db {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #log: (line: string) => void;

  constructor(
    readonly path: string,
    options: OpenDbOptions = {},
  ) {
    this.#db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.mustExist ?? false });
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  #prepare(query: Query): Database.Statement {
    let statement = this.#statements.get(query.text);
    if (!statement) {
      statement = this.#db.prepare(query.text);
      this.#statements.set(query.text, statement);
    }
    return statement;
  }

  #timed<T>(query: Query, run: () => T): T {
    const started = performance.now();
    const result = run();
    const ms = performance.now() - started;
    if (ms > SLOW_QUERY_MS) this.#log(`[db] slow query (${ms.toFixed(1)} ms): ${query.text.replace(/\s+/g, ' ').slice(0, 200)}`);
    return result;
  }

  get<T>(query: Query): T | undefined {
    return this.#timed(query, () => this.#prepare(query).get(...query.params) as T | undefined);
  }

  all<T>(query: Query): T[] {
    return this.#timed(query, () => this.#prepare(query).all(...query.params) as T[]);
  }

  run(query: Query): { changes: number } {
    return this.#timed(query, () => this.#prepare(query).run(...query.params));
  }

  /** Constant DDL scripts (migrations) only; nothing interpolated. */
  exec(script: string): void {
    this.#db.exec(script);
  }

  pragma<T = unknown>(text: string): T {
    return this.#db.pragma(text, { simple: true }) as T;
  }

  /** BEGIN IMMEDIATE: take the write lock first, so a concurrent writer waits on busy_timeout instead of failing mid-way. */
  write<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /** A consistent read across several statements. */
  read<T>(fn: () => T): T {
    return this.#db.transaction(fn).deferred();
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  /**
   * SQLite's online backup: a consistent copy while other connections keep writing. It copies in
   * chunks so the event loop keeps turning; but a write from another connection restarts the
   * copy, and a busy app could restart it forever — so after a restart the rest goes in one step.
   */
  async backup(destination: string): Promise<void> {
    let lastRemaining = Infinity;
    await this.#db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        const restarted = remainingPages > lastRemaining;
        lastRemaining = remainingPages;
        return restarted ? Math.max(totalPages, 1) : BACKUP_STEP_PAGES;
      },
    });
  }

  close(): void {
    this.#statements.clear();
    if (this.#db.open) this.#db.close();
  }

  get open(): boolean {
    return this.#db.open;
  }
}

export function isSqliteError(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.some((c) => code === c || code.startsWith(`${c}_`));
}
