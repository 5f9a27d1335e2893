// Every binary layout TypeScript, AssemblyScript and the worker source share, declared once.
// tools/layout.mjs turns this file into assembly/layout.generated.ts at build time (the AS
// side reads the same names as constants); the worker source (src/threads/worker-source.ts)
// interpolates them into its text. Plain `export const NAME = integer` lines only: the
// generator reads nothing else.

// ---- The MLP layer table (assembly/model/mlp.ts; written by src/models/mlp.ts, copied per shard by src/threads/shard.ts): i32 words ----
export const MLP_HEADER_WORDS = 16;
export const MLP_LAYER_WORDS = 16;
/** Header words. */
export const MLP_LAYERS = 0;
export const MLP_ACTIVATION = 1;
export const MLP_LOSS = 2;
export const MLP_X = 3;
export const MLP_Y = 4;
export const MLP_DELTA_A = 5;
export const MLP_DELTA_B = 6;
/** The correct-row count of the last pass (classification losses). */
export const MLP_CORRECT = 7;
/** Bit 0 (MLP_FLAG_PACKED): the Wᵀ panels are already packed (shards of one batch share them). */
export const MLP_FLAGS = 8;
export const MLP_FLAG_PACKED = 1;
/** Words of layer l, at MLP_HEADER_WORDS + MLP_LAYER_WORDS·l. */
export const MLP_L_IN = 0;
export const MLP_L_OUT = 1;
export const MLP_L_OUT_PAD = 2;
export const MLP_L_W = 3;
export const MLP_L_GW = 4;
export const MLP_L_PANELS = 5;
export const MLP_L_A_IN = 6;
export const MLP_L_A_STRIDE = 7;
export const MLP_L_A_OUT = 8;
/** mlp_run_f32 modes. */
export const MLP_MODE_GRAD = 0;
export const MLP_MODE_LOSS = 1;
export const MLP_MODE_PREDICT = 2;
export const MLP_MODE_GRAD_BUT_0 = 3;

// ---- The worker pool's control block (assembly/threads/team.ts, src/threads/pool.ts, the worker source): i32 words ----
export const CTRL_GEN = 0;
export const CTRL_DONE = 1;
export const CTRL_AGENTS = 2;
export const CTRL_SPIN = 3;
export const CTRL_CMD = 4;
export const CTRL_FAULT = 5;
export const CTRL_FAILED = 6;
export const CTRL_TASKS = 7;
export const CTRL_PHASES = 8;
export const CTRL_NPHASES = 9;
export const CTRL_IDLE_SPIN_US = 10;
export const CTRL_FAULT_AT = 11;
export const CTRL_HELD = 12;
export const CTRL_STALL_AT = 13;
export const CTRL_STALL_MS = 14;
export const CTRL_AWAITED = 15;
/** Word CTRL_PROGRESS + id: agent id's progress. */
export const CTRL_PROGRESS = 16;
/** Agents a job may have (one progress word each). */
export const MAX_AGENTS = 64;
export const CTRL_WORDS = 80;
/** Values of CTRL_CMD. */
export const CMD_RUN = 1;
export const CMD_QUIT = 2;
/** Phase records: 4 i32 words (end task index, claim counter, arrivals, unused). */
export const PHASE_WORDS = 4;
export const PHASE_END = 0;
export const PHASE_CLAIM = 1;
export const PHASE_ARRIVED = 2;

// ---- Task records (a plan's tasks: src/core/plan.ts, assembly/threads/team.ts): 64 bytes ----
export const TASK_WORDS = 16;
export const TASK_OP = 0;
/** Five i32 arguments from this word. */
export const TASK_ARGS = 1;
/** op 3's accumulate flag (word); bytes 24–31 hold a pass's f64 loss sum. */
export const TASK_FLAG = 6;
export const TASK_RESULT_BYTE = 24;
/** op 3's step kernel id. */
export const TASK_STEP_KERNEL = 7;
/** f64 wall time in ms. */
export const TASK_TIME_BYTE = 32;
/** 0 not started, 2 started, 1 finished. */
export const TASK_STATE = 10;
/** op 3: the step's argument block; ops 2 and 5: the agent that ran the task. */
export const TASK_STEP_ARGS = 11;
export const TASK_AGENT = 11;
/** The range [first, end) of job task indexes the task waits for. */
export const TASK_DEP_FIRST = 12;
export const TASK_DEP_END = 13;
/** Task ops. */
export const OP_PACK = 1;
export const OP_RUN = 2;
export const OP_SUM = 3;
export const OP_STEP = 4;
export const OP_GRAD0 = 5;

// ---- A step phase's argument block (assembly/threads/step.ts, src/core/step.ts) ----
export const STEP_ARGS_BYTES = 96;
/** Pointer words 0–5, then the scalars (f32, or i32 flags) from this word. */
export const STEP_SCALARS_WORD = 8;

/** Kernel ids of the step phase (step_range's switch; src/core/step.ts's table). */
export const STEP_SGD = 1;
export const STEP_MOMENTUM = 2;
export const STEP_ADAGRAD = 3;
export const STEP_RMSPROP = 4;
export const STEP_ADADELTA = 5;
export const STEP_ADAM = 6;
export const STEP_ADAMAX = 7;
export const STEP_NADAM = 8;
export const STEP_RADAM = 9;
export const STEP_LION = 10;
