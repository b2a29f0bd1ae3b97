import { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { ValidationError } from '../errors/app.exception';

export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_NODES = 10_000;

/**
 * Replaces Fastify's JSON parser with one that also refuses bodies nested too deep or with too
 * many values (422) before any validator walks them; `__proto__` / `constructor.prototype` keys
 * are refused as malformed (400), like Fastify's own parser does.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new ValidationError('Request body is empty but Content-Type is application/json', undefined, 400), undefined);
      return;
    }
    let value: unknown;
    try {
      value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      done(new ValidationError('Malformed JSON in request body', undefined, 400), undefined);
      return;
    }
    const problem = checkJsonShape(value);
    if (problem) {
      done(new ValidationError(problem, undefined, 422), undefined);
      return;
    }
    done(null, value);
  });
}

/** Iterative walk (no recursion, so hostile nesting cannot overflow the stack). */
export function checkJsonShape(root: unknown, maxDepth = MAX_JSON_DEPTH, maxNodes = MAX_JSON_NODES): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    nodes += 1;
    if (nodes > maxNodes) return `JSON body has more than ${maxNodes} values`;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return `JSON body is nested deeper than ${maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}
