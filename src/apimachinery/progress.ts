/** Long work (creating thousands of nodes, loading big fixtures) says how far it got: `done` of `total` items of `task`. */
export type ProgressCallback = (task: string, done: number, total: number) => void;
