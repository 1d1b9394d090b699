import { Type, type SchemaOptions, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A string from a fixed set, as one JSON Schema `enum` (TypeBox's union of literals becomes
 * an `anyOf`, slower to check and to serialize, and vaguer in error messages).
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** `schema` or null, as a JSON Schema type list (`["string", "null"]`), which fast-json-stringify writes without a union. */
export function Nullable<S extends TSchema>(schema: S): TUnsafe<S['static'] | null> {
  const type = (schema as { type?: unknown }).type;
  if (typeof type !== 'string') throw new Error('Nullable takes a schema of one JSON type');
  const values = (schema as { enum?: unknown[] }).enum;
  return Type.Unsafe<S['static'] | null>({ ...schema, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) });
}
