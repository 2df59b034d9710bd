// Runbook import and export, pure (the renderer uses it for previews, the core for import).
import { ApiError } from '../api/errors.ts';
import { importMarkdown, exportMarkdown, type ImportOptions, type ImportResult } from './markdown.ts';
import { runbookDocSchema, type RunbookDoc } from './model.ts';
import { importYaml, exportYaml } from './yaml.ts';

export * from './model.ts';
export { RunbookFormatError, formatDuration, parseDuration } from './attributes.ts';
export { importMarkdown, exportMarkdown, importYaml, exportYaml, type ImportOptions, type ImportResult };

export const RUNBOOK_FORMATS = ['md', 'yaml'] as const;
export type RunbookFormat = (typeof RUNBOOK_FORMATS)[number];

/**
 * Which format a text is in: YAML when it is a mapping with a top-level `sections:` key and no
 * Markdown heading or list before it; Markdown otherwise (front matter included).
 */
export function detectFormat(text: string, fileName?: string): RunbookFormat {
  const ext = fileName?.toLowerCase().match(/\.(ya?ml|md|markdown|txt)$/)?.[1];
  if (ext) return ext.startsWith('y') ? 'yaml' : 'md';
  if (/^---[ \t]*\n/.test(text)) return 'md';
  return /^sections:\s*$/m.test(text) && !/^(#{1,6}\s|\s*([-*+]|\d+[.)])\s+\[[ xX]\])/m.test(text) ? 'yaml' : 'md';
}

export function importRunbook(text: string, format: RunbookFormat, options: ImportOptions = {}): ImportResult {
  const result = format === 'yaml' ? importYaml(text, options) : importMarkdown(text, options);
  // The readers check as they go and name lines; this is the final guard on the whole model.
  const checked = runbookDocSchema.safeParse(result.doc);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ApiError('invalid_input', `line 1: ${issue.path.join('.')}: ${issue.message}`, 'text');
  }
  return result;
}

export function exportRunbook(doc: RunbookDoc, format: RunbookFormat): string {
  return format === 'yaml' ? exportYaml(doc) : exportMarkdown(doc);
}

/** A file name for an export: the title in lower-case words. */
export function exportFileName(doc: RunbookDoc, format: RunbookFormat): string {
  const base =
    doc.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'runbook';
  return `${base}.${format === 'yaml' ? 'yaml' : 'md'}`;
}
