/**
 * Finds promises nobody waits for: a statement that calls an async function (or a drizzle
 * query builder) without `await`, `return` or `void`. With the data layer asynchronous, such a
 * statement is a write that may land after its transaction committed, or a query builder that
 * never runs at all: TypeScript accepts both. Run by `npm test` after `astro check`.
 */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json')!;
const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
const program = ts.createProgram({ rootNames: config.fileNames.filter((f) => /\.(ts|mts)$/.test(f) && !f.endsWith('.d.ts')), options: config.options });
const checker = program.getTypeChecker();

function isThenable(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(isThenable);
  return !!type.getProperty('then');
}

/** node:test's own functions: the runner waits for what they return. */
const NODE_TEST = new Set(['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach']);

const findings: string[] = [];
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const expression = node.expression;
      // A call whose promise is dropped; an assignment keeps its promise (a cache, a start-once).
      const dropped = ts.isCallExpression(expression) && !NODE_TEST.has(expression.expression.getText());
      if (dropped && isThenable(checker.getTypeAtLocation(expression))) {
        const { line, character } = file.getLineAndCharacterOfPosition(node.getStart());
        findings.push(`${file.fileName.slice(root.length)}:${line + 1}:${character + 1}: ${node.getText().split('\n')[0].slice(0, 100)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}
if (findings.length) {
  console.error(`Promises nobody waits for (await them, return them, or mark a deliberate one with void):\n${findings.join('\n')}`);
  process.exit(1);
}
console.log('No floating promises.');
