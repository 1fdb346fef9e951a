// Two tables agree: the same column names, Arrow types and units, and the same values (as text, so
// 64-bit integers and lists compare exactly).
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';

export function expectSameTable(a: Table, b: Table): void {
  expect(b.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get('unit')])).toEqual(
    a.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get('unit')]),
  );
  for (const field of a.schema.fields)
    expect([...b.getChild(field.name)!].map(String), field.name).toEqual(
      [...a.getChild(field.name)!].map(String),
    );
}
