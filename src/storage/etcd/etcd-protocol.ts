/**
 * The requests EtcdStore sends its worker (etcd-worker.ts) and the replies it gets: plain data,
 * copied between threads. Revisions travel as numbers (etcd's int64 stays far below 2^53 here).
 */

/** One stored key: its value (absent when only keys were asked for) and its revisions. */
export interface EtcdKv {
  key: string;
  value?: string;
  mod: number;
  created: number;
}

/** One change of the history: a put (created: `kv.created === kv.mod`) or a delete (`prev` holds the last value). */
export interface EtcdEvent {
  type: 'put' | 'delete';
  kv: EtcdKv;
  prev?: EtcdKv;
}

/** One write of a transaction; `expectMod` is the key's mod revision it must still have (0: the key must not exist). */
export interface EtcdWrite {
  key: string;
  /** The new value; absent: delete the key. */
  value?: string;
  expectMod: number;
}

export type EtcdRequest =
  | { op: 'open'; servers: string[]; dialTimeoutMs: number }
  | { op: 'close'; client: number }
  | { op: 'range'; client: number; key: string; prefix: boolean; revision?: number; keysOnly?: boolean; countOnly?: boolean }
  | { op: 'txn'; client: number; writes: EtcdWrite[] }
  | { op: 'history'; client: number; after: number; until: number }
  | { op: 'compact'; client: number; revision: number };

/** The revision the answer was read or written at, and the compaction point etcd last reported. */
export interface EtcdHeader {
  revision: number;
}

export type EtcdReply =
  | ({ op: 'open'; client: number; compacted: number } & EtcdHeader)
  | { op: 'close' }
  | ({ op: 'range'; kvs: EtcdKv[]; count: number } & EtcdHeader)
  /** `current`: when a compare failed, each write's key as it is now (null: absent). */
  | ({ op: 'txn'; succeeded: boolean; current?: (EtcdKv | null)[] } & EtcdHeader)
  | { op: 'history'; events: EtcdEvent[] }
  | ({ op: 'compact'; compacted: number } & EtcdHeader)
  /** The revision asked for was compacted away (etcd's ErrCompacted); `compacted` is etcd's compaction point when known. */
  | { op: 'compacted'; compacted: number };

/** Where upstream keeps the last compaction revision, beside (not under) the /registry prefix. */
export const COMPACT_REV_KEY = 'compact_rev_key';
