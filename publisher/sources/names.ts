// Pure naming rules of GOLD_SPEC §1: which entries of a table folder are part files, and how
// table names map to file/folder names. Shared by the S3 and local discoveries.

/** Spark/Hadoop bookkeeping (`_SUCCESS`, `_committed_*`, `_started_*`, `.part-*.crc`) is skipped. */
export function isPartFileName(name: string): boolean {
  if (name === '' || name.startsWith('.') || name.startsWith('_')) return false;
  if (name.endsWith('.crc')) return false;
  return name.startsWith('part-') && name.endsWith('.parquet');
}

/** `<table>.parquet`: the object/file name of a table, or its folder name (Spark). */
export function tableEntryName(table: string): string {
  return `${table}.parquet`;
}

/** Part files in a stable order: by name, code-unit order (what S3 listings return too). */
export function sortByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** GOLD_PREFIX normalised to '' or 'some/path/' (no leading slash, one trailing slash). */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
