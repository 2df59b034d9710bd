// JUnit XML test reports (surefire, pytest, jest-junit, …) reduced to counts. The shapes differ:
// a bare <testsuite>, <testsuites> with or without totals, nested suites, and counts that are
// missing or wrong, so counts come from the <testcase> elements, never from the attributes.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface JUnitSummary {
  /** Test cases found. */
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  suites: number;
  /** Passed / (tests − skipped), in whole percent rounded down; null when nothing ran. */
  passRate: number | null;
  /** Up to 10 failing cases, `suite › name`, for the answer's inputs. */
  failing: string[];
}

export class JUnitError extends Error {}

type Node = Record<string, unknown>;

const asList = (value: unknown): Node[] => (value === undefined || value === null ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);

/** Parses a JUnit XML report; throws JUnitError naming the problem (with the line for bad XML). */
export function parseJUnit(xml: string): JUnitSummary {
  if (!xml.trim()) throw new JUnitError('The test report is empty.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new JUnitError(`Not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, isArray: (name) => ['testsuite', 'testcase'].includes(name) });
  const doc = parser.parse(xml) as Node;
  let roots: Node[];
  if (doc.testsuites !== undefined) roots = typeof doc.testsuites === 'object' && doc.testsuites ? asList((doc.testsuites as Node).testsuite) : [];
  else if (doc.testsuite !== undefined) roots = asList(doc.testsuite);
  else {
    const top = Object.keys(doc).filter((k) => !k.startsWith('?'));
    throw new JUnitError(`Not a JUnit report: the root element is <${top[0] ?? '?'}>, expected <testsuites> or <testsuite>.`);
  }
  const summary: JUnitSummary = { tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, suites: 0, passRate: null, failing: [] };
  const visit = (suite: Node) => {
    summary.suites += 1;
    const suiteName = typeof suite['@name'] === 'string' ? suite['@name'] : '';
    for (const tc of asList(suite.testcase)) {
      summary.tests += 1;
      const has = (key: string) => tc[key] !== undefined;
      const name = `${suiteName ? `${suiteName} › ` : ''}${String(tc['@name'] ?? '(unnamed)')}`;
      if (has('error')) summary.errors += 1;
      else if (has('failure')) summary.failures += 1;
      else if (has('skipped')) summary.skipped += 1;
      else summary.passed += 1;
      if ((has('error') || has('failure')) && summary.failing.length < 10) summary.failing.push(name);
    }
    for (const child of asList(suite.testsuite)) visit(child);
  };
  for (const suite of roots) visit(suite);
  if (summary.tests === 0) throw new JUnitError(`The report has ${summary.suites} suite(s) but no <testcase> elements.`);
  const ran = summary.tests - summary.skipped;
  summary.passRate = ran > 0 ? Math.floor((summary.passed * 100) / ran) : null;
  return summary;
}
