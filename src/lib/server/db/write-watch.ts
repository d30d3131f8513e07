import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow
} from 'kysely';

const WRITE_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);
const RAW_WRITE_RE = /\b(insert|update|delete)\b/i;

/**
 * A Kysely plugin that calls `onWrite` after each write statement (insert, update, delete, merge,
 * or raw SQL holding one of those words), whatever the table: the directory index then reads its
 * change log (a cheap query) before its next search. Installed on the services' `db` (services.ts).
 */
export function watchWrites(onWrite: () => void): KyselyPlugin {
  const writes = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const node = args.node;
      if (
        WRITE_NODES.has(node.kind) ||
        (node.kind === 'RawNode' && RAW_WRITE_RE.test(node.sqlFragments.join(' ')))
      ) {
        writes.add(args.queryId);
      }
      return node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (writes.has(args.queryId)) onWrite();
      return args.result;
    }
  };
}
