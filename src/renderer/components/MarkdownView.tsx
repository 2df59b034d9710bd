// Step details and section notes are Markdown kept verbatim; this shows them as people read
// them — paragraphs, lists, quotes and code blocks that can be copied exactly — without ever
// producing HTML from the text (no raw HTML, no innerHTML). Links are shown with their address
// rather than made clickable: the app never navigates away, and an engineer can read the URL.
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { useMemo, type ReactNode } from 'react';

function render(node: Nodes, source: string, key: number | string): ReactNode {
  const kids = () => ('children' in node ? node.children.map((child, i) => render(child as Nodes, source, i)) : null);
  switch (node.type) {
    case 'root':
      return <>{kids()}</>;
    case 'paragraph':
      return <p key={key}>{kids()}</p>;
    case 'heading':
      return (
        <p key={key} className="markdown__heading">
          {kids()}
        </p>
      );
    case 'text':
      return node.value;
    case 'strong':
      return <strong key={key}>{kids()}</strong>;
    case 'emphasis':
      return <em key={key}>{kids()}</em>;
    case 'delete':
      return <del key={key}>{kids()}</del>;
    case 'inlineCode':
      return <code key={key}>{node.value}</code>;
    case 'break':
      return <br key={key} />;
    case 'code':
      return (
        <pre key={key} className="markdown__code" data-lang={node.lang ?? undefined}>
          <code>{node.value}</code>
        </pre>
      );
    case 'blockquote':
      return <blockquote key={key}>{kids()}</blockquote>;
    case 'list':
      return node.ordered ? (
        <ol key={key} start={node.start ?? undefined}>
          {kids()}
        </ol>
      ) : (
        <ul key={key}>{kids()}</ul>
      );
    case 'listItem':
      return (
        <li key={key}>
          {node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : ''}
          {kids()}
        </li>
      );
    case 'link': {
      const label = node.children.length > 0 ? kids() : null;
      const plain = node.children.length === 1 && node.children[0]?.type === 'text' && node.children[0].value === node.url;
      return (
        <span key={key} className="markdown__link">
          {label}
          {!plain && <span className="markdown__url"> ({node.url})</span>}
        </span>
      );
    }
    case 'thematicBreak':
      return <hr key={key} />;
    default: {
      // Tables, HTML, images and anything newer: the source text, exactly as written.
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      const text = start !== undefined && end !== undefined ? source.slice(start, end) : '';
      return (
        <pre key={key} className="markdown__code">
          {text}
        </pre>
      );
    }
  }
}

export function MarkdownView({ text, className }: { text: string; className?: string }) {
  const tree = useMemo(() => {
    try {
      return fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    } catch {
      return null;
    }
  }, [text]);
  return <div className={`markdown ${className ?? ''}`}>{tree ? render(tree, text, 'root') : <pre className="markdown__code">{text}</pre>}</div>;
}

