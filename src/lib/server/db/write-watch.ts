import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow
} from 'kysely';

/** The tables whose rows a directory search reads (their triggers write `directory_change`). */
export const DIRECTORY_TABLES = ['place', 'service', 'service_tag', 'place_notice', 'geo_point', 'search_document', 'organisation'];

const RAW_WRITE_RE = /\b(insert|update|delete)\b/i;
const RAW_TABLE_RE = new RegExp(`\\b(${DIRECTORY_TABLES.join('|')})\\b`, 'i');

/** The table a TableNode (possibly aliased) names, or undefined for anything else. */
function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'AliasNode') return tableOf((node as unknown as { node: OperationNode }).node);
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  return undefined;
}

/** Whether a statement may write a directory table (unknown shapes count as yes). */
export function writesDirectory(node: RootOperationNode): boolean {
  const touches = (tables: (string | undefined)[]) => tables.some((t) => t === undefined || DIRECTORY_TABLES.includes(t));
  switch (node.kind) {
    case 'InsertQueryNode':
      return touches([tableOf(node.into)]);
    case 'UpdateQueryNode':
      return touches([tableOf(node.table)]);
    case 'DeleteQueryNode':
      return touches(node.from.froms.map(tableOf));
    case 'MergeQueryNode':
      return touches([tableOf(node.into)]);
    case 'RawNode': {
      const text = node.sqlFragments.join(' ');
      return RAW_WRITE_RE.test(text) && RAW_TABLE_RE.test(text);
    }
    default:
      return false;
  }
}

/**
 * A Kysely plugin that calls `onWrite` after each statement that may write a table the directory
 * search reads (insert, update, delete, merge, or raw SQL naming one with such a word): the
 * directory index then reads its change log (one cheap query) before its next search. Installed
 * on the services' `db` (services.ts); other tables' writes (sessions, audit…) cost nothing.
 */
export function watchWrites(onWrite: () => void): KyselyPlugin {
  const writes = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (writesDirectory(args.node)) writes.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (writes.has(args.queryId)) onWrite();
      return args.result;
    }
  };
}
