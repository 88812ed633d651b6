// A node:test reporter that writes the files with a failing test (one path a line), so `npm test` can run them once more.
export default async function* failedFiles(source) {
  const files = new Set();
  for await (const event of source) {
    if (event.type === 'test:fail' && event.data.file) files.add(event.data.file);
  }
  if (files.size > 0) yield `${[...files].join('\n')}\n`;
}
