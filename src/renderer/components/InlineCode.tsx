// Messages from the core mark commands with backticks (`warroom serve`); show those as code
// rather than as stray punctuation.
import { Fragment } from 'react';

export function InlineCode({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd number of parts means the backticks pair up; otherwise show the text untouched.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{i % 2 === 1 ? <code>{part}</code> : part}</Fragment>
      ))}
    </>
  );
}
