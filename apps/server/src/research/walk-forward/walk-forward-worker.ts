// The module every walk-forward worker thread runs (through WorkerPool): it answers the study's backtest tasks on
// the bars the pool shared with it.
import { serveTasks, workerPoolData, type BacktestTask } from './walk-forward-research.ts';
import { runStudyTask, type StudyTaskData } from './walk-forward-task.ts';

const data = workerPoolData<StudyTaskData>();

serveTasks((task: BacktestTask) => runStudyTask(data, task));
