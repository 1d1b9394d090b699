import { createHash } from 'node:crypto';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import { encodeSnapshot } from '../repository/codec/snapshot-codec';

/** sha256 of the snapshot's stable binary form: equal hashes mean equal engine state. */
export function stateHash(snapshot: EngineSnapshot): string {
  return createHash('sha256').update(encodeSnapshot(snapshot)).digest('hex');
}
