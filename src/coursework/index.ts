/**
 * Coursework: exercise versions of the notebooks, automatic checks with specific feedback, and grading.
 * In a notebook: `sw.coursework.check('soft-threshold', softThreshold)` and
 * `sw.coursework.solved(softThreshold, sw.coursework.reference.softThreshold, 'soft-threshold')`.
 * Instructors: `superposition exercises` and `superposition grade` (src/cli/exercises.ts, src/cli/grade.ts).
 */
export * as reference from './reference';
export { normalCdf, normalPdf } from './reference/normal';
export { check, solved, type CheckOptions } from './check';
export { EXERCISES, exerciseSpec } from './exercises';
export { judge, makeCases, callStudent, describeCase, NOT_IMPLEMENTED, type ExerciseSpec, type Case, type Outcome, type CheckResult } from './exercise';
export { diagnose, diagnoseNumeric, allClose, DEFAULT_TOLERANCE, type Tolerance, type Region, type CompareOptions } from './compare';
export { toValue, toNumeric, encodeValue, decodeValue, type Numeric, type Value } from './values';
export * from './notebook';
export { gradeSubmissions, gradeNotebook, defaultJobs, solutionSummaries, type GradeOptions, type NotebookGrade, type ExerciseGrade, type SolutionSummary } from './grade';
export { autograderEntries, runAutograderScript, SETUP_SH, type AutograderOptions } from './autograder';
export { gradescopeResults, type GradescopeResults, type GradescopeTest, type GradescopeVisibility } from './gradescope';
export { gradeTable, gradesCsv } from './report';
