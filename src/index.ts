/**
 * superposition-workbook: the one public entry. Every export is named here (no `export *`), grouped by the folder
 * that owns it: core, compute, io, sparse, viz, metrics, training, dictionary, data, toy, identifiability,
 * experiments; coursework as a namespace.
 */
export { rng, Rng } from './core/rng';
export { DataFileError, ShapeError, ValueError } from './core/errors';
export { asFloat32, asFloat64, column, copy, fromRows, isMatrix, matmul, matrix, normalizeRows, row, rowNorms,
  selectRows, shapeOf, toMatrix, toRows, transpose, zeros } from './core/matrix';
export type { FloatArray, Matrix, MatrixLike } from './core/matrix';
export { checkFinite, checkInt, checkMatrix, checkNoZeroRows, checkNumber } from './core/validate';
export type { ShapeSpec } from './core/validate';
export { describeBackend, initBackend, tf } from './core/backend';
export type { BackendInfo, BackendName } from './core/backend';
export { bySize, evaluateChecks, reportResults, ResultCheckError, workbookMode } from './core/results';
export type { Check, CheckOutcome, CheckSpec, CheckTest, KnownGapCheck, Verdict } from './core/results';
export { createProgress, tslabDisplay } from './core/progress';
export type { Progress, ProgressOptions } from './core/progress';
export { projectRoot } from './core/paths';
export { adamSlot, adamStep, addRowVector, columnSums, csrOf, denseRoute, dispatchPolicy, fastBackend, gemm, gemmNT, gram, kernelThreads,
  kthLargest, mm, mmNT, normaliseRowsInPlace, opNormSquared, projectRowsTangent, reluBackward, residualRows, sampledDots, sampledDotValues, setDispatchPolicy,
  setKernelThreads, setWasmKernels, sparseCodes, spmmAdd, spmmTAdd, tr, wasmKernelsOn, WasmMemoryFull } from './compute';
export type { AdamConfig, AdamSlot, Csr, DispatchPolicy, KernelOptions } from './compute';
export { colMeans, principalDirections } from './core/decompositions';
export { checkRegularFile, DEFAULT_MAX_READ_BYTES, FileAccessError, openAtomicOutput, openRegularFile,
  readRegularFile, readRegularText, sameFile, writeFileAtomic, writeFilesAtomic } from './io/files';
export type { AtomicOutput, FileData, ReadLimits } from './io/files';
export { decodeNpyElements, encodeNpy, encodeNpyHeader, npyHeaderSpan, parseNpy, parseNpyHeader, readMatrix,
  readNpy, toFloat, writeNpy } from './io/npy';
export type { NpyArray, NpyData, NpyDtype, NpyHeader } from './io/npy';
export { MatrixRows, MAX_STREAM_FILE_BYTES, NpyRowReader, NpyRowWriter, openShards, resolveShards, ShardedRows } from './io/npy_stream';
export type { RowSource } from './io/npy_stream';
export { encodeSafetensors, parseSafetensors, readSafetensors, SAFETENSORS_DTYPE_BYTES, tensorToFloat32,
  writeSafetensors } from './io/safetensors';
export type { SafeTensor, SafeTensorData, SafeTensorInput, SafetensorsDtype, SafetensorsFile,
  SafetensorsReadOptions } from './io/safetensors';
export { parseIdx } from './io/idx';
export type { IdxArray } from './io/idx';
export { FASHION_MNIST_CLASSES, fashionMnistCandidates, loadFashionMnist } from './io/datasets';
export type { FashionMnist, ImageSplit } from './io/datasets';
export { donohoTannerRho, dtMaxFeatures, dualityGap, fista, iht, ista, lassoCD, lassoObjective, mutualCoherence,
  omp, plantedSparseProblem, ripConstantEstimate, SPARSE_METHODS, sparseEncode } from './sparse';
export type { GreedyOptions, LassoOptions, PlantedProblem, PlantedProblemOptions, RipEstimate, SparseCodeResult,
  SparseEncodeOptions } from './sparse';
export { addRefLines, axisLayout, barFigure, baseLayout, binValues, checkLength, CHROMIUM_FLAGS, closeRenderer,
  decodePng, defaultConfig, describeFigure, directionsFigure, displayPath, DIVERGING_SCALE, exportFigure,
  figureBundle, figureName, figuresDir, figureSize, figureTitle, findNotebooks, FONT, formatCell, GREY_SCALE,
  gridFigure, heatmapFigure, histogramFigure, imageGridFigure, inTslabKernel, isFigure, isTable, kernelWriter,
  labelledScatterFigure, legendBelow, lineFigure, makeFigure, nonWhiteFraction, notebookFigures, notebookName,
  PALETTE, paletteColor, paretoFront, phaseDiagramFigure, plainArray, plotlyHtml, pngSize, rendererStatus,
  renderFigure, resultsDir, roundSig, saveTable, scatterFigure, SEQUENTIAL_SCALE, show, slugify, tableBundle,
  tableHtml, tableText, TSLAB_TESTED_VERSIONS, tslabVersion, warmUpRenderer, withAlpha, workbookRoot, writeStatics,
  xyLayout } from './viz';
export type { AnyTable, AxesOptions, BarOptions, BarSeries, Binned, DecodedPng, DirectionsOptions, DisplayBundle,
  ExportOptions, FigureOptions, GridOptions, HeatmapOptions, HistogramOptions, HistogramSeries, ImageGridOptions,
  KernelWriter, LabelledPoint, LabelledScatterOptions, LineOptions, LineSeries, NotebookFigure, ParetoSense,
  PhaseDiagramOptions, PlotlyFigure, PlotlyTrace, RefLine, RenderedFigure, RendererStatus, RenderOptions,
  SavedTable, ShowOptions, StaticPaths, TableDisplayOptions, TheoryCurve } from './viz';
export { bootstrapMeanCi, canonicalCorrelations, classSelectivity, cosineMatrix, cosineSimilarity,
  crossCorrelation, dictionaryRecovery, explainedVariance, featureDensity, fitStump, fvu, imageIntrusionScore,
  KnnRegressor, kTermFvu, labelPurity, labelSimilarity, linearIdentifiability, linearSumAssignment,
  matchedSimilarity, mcc, meanL0, misProxyScore, mse, nanMean, orthogonalProcrustes, r2Score, ReconstructionAccumulator, RidgeRegression,
  sparseProbing, sparsityStats, trainTestSplit, twoAfcScore, universality } from './metrics';
export type { Assignment, BootstrapCi, CorrelationMethod, CorrelationPrecision, DictionaryRecovery, FiringOptions,
  IdentifiabilityOptions, IdentifiabilityResult, LabelPurity, MccResult, MisScores, ProcrustesResult,
  PsychophysicsOptions, Similarity, SparseProbe, SparsityStats, Split, Stump, UnitScores, Universality } from './metrics';
export { checkSchedule, scheduleFactor, TrainingDivergedError, trainLoop, trainLoopAsync, warmupDecayFactor } from './training';
export type { EvalMetrics, HistoryRow, Schedule, Trainer, TrainLoopOptions, TrainLoopResult } from './training';
export { AmortisedEncoder, AUXK_ALPHA, BatchTopKSae, CONVERGED_TOLERANCE, createLearner, DEFAULT_SAE_SAMPLES,
  DictionaryInference, DictionaryLearner, inferCodes, isLearnMethod, isSaeLensDir, JumpReluSae, KSvd,
  LEARN_METHODS, learnerConfigProblem, LEARNERS, Lista, loadDictionaryModel, loadSae, loadSaeLens, makeLearner,
  matryoshkaGroupSizes, MatryoshkaSae, MlpEncoder, MODEL_DIR_FORMATS, parseSaeLensConfig, prefixEnds,
  readSaeCheckpoint, readSaeLens, ReluSae, SAE_CHECKPOINT_FORMAT, SAELENS_ARCHITECTURES, SAELENS_CFG_FILE,
  SAELENS_FORMAT_VERSION, SAELENS_WEIGHTS_FILE, SaeTrainer, SaeWorkspace, saveModelDir, saveSaeLens,
  SparseAutoencoder, TopKSae, writeSaeCheckpoint } from './dictionary';
export type { AuxKInput, AuxKOptions, BatchSource, BatchTopKSaeLearner, DictionaryFitOptions, DictionaryFitReport,
  DictionaryLearnerConfig, DlLearner, EncoderTrainOptions, EncoderTrainReport, HasDictionary, InferOptions,
  JumpReluSaeLearner, KsvdLearner, LearnerConfig, LearnerInfo, LearnerOf, LearnMethod, MatryoshkaOptions,
  MatryoshkaSaeLearner, ModelDirFormat, ReadSaeLensOptions, ReluSaeLearner, SaeCheckpoint, SaeConfig,
  SaeHistoryPoint, SaeKind, SaeLensArchitecture, SaeLensConfig, SaeLensModel, SaeTrainerConfig, SaeTrainOptions,
  SaeTrainReport, SaveSaeLensOptions, TopKSaeLearner } from './dictionary';
export { ActivationStore, featurePatterns, labelledPlantedData, plantedSparseData, randomUnitDictionary } from './data';
export type { ActivationStoreOptions, LabelledPlantedData, LabelledPlantedOptions, PlantedData, PlantedOptions } from './data';
export { bestBias2to1, classifyFeatures, countRepresented, dimensionsPerFeature, featureDimensionality,
  featureGram, featureNorms, featureSuperposition, fillSparseUniform, fractionLines, PHASE_CANDIDATES,
  phaseDiagramTheory, toyExpectedLoss2to1, toyGradients, toyLoss, trainToyModels } from './toy';
export type { ClassifyOptions, FeatureRepresentation, FractionLineRow, PhaseTheoryCell, ToyInstance,
  ToyTrainOptions, ToyTrainResult } from './toy';
export { applyMixing, clusterProcess, createMixing, encodeMlp, initMlp, invertMixing, randomOrthogonal, sampleBox,
  sampleGaussian, sampleLaplaceClusters, sampleSparseNonneg, sampleSphere, sampleVmf, sampleVmfClusters,
  sparseSupportProcess, spherePairs, trainClassifier, trainContrastive } from './identifiability';
export type { ClassifierBatch, ClassifierTrainOptions, ClusterProcessOptions, ContrastiveTrainOptions,
  EncodeMlpOptions, LabelledLatents, LatentProcess, Mixing, MixingOptions, MlpHistoryRow, MlpTrainOptions,
  MlpTrainResult, MlpWeights, PairBatch, ProcessSample, SparseProcessOptions } from './identifiability';
export { ABLATION_ROWS_02, ablationLabel, amortisationGapOnFrontier, amortisationKnownD, amortisationKnownZ,
  amortisationUnknownD, analyzeSae, claimVerdict, compositeImages, compositeTest, contrastiveExperiment,
  convexityCheck, crossSeedMatch, debias, DEPTH_UNIT_KINDS, dictionaryAdvantageByLayer, featureDensityExperiment,
  fistaBudgetSweep, frontierEntryOfSae, identifiabilityAblation, identifiabilityExperiment,
  interpretabilityExperiment, interpretabilityUnitSets, judgedTwoAfc, KNOWN_D_GRID, knownGaps, linearVsSparse,
  liveColumns, liveUnits, loadActivationSet, makeSaeVariant, measurementProblem, misValues, networkAccuracy,
  networkActivations, networkActivationSet, networkLayerWidths, networkLogits, neuronUnitSet, notebookChecks,
  ompAtEqualL0, openBridgeExperiment, pcaUnitSet, phaseTransition, pseudoInverseReadout, randomAtomTopKCodes,
  rankCorrelation, README_CLAIMS, realUnitSets, reconstructionFrontier, relativeErrors, RESULT_NOTEBOOKS,
  resultsTable, ruleOfThumbRho, saveActivations, scoreRankCorrelations, scoreUnitSets, scoringDataOf, seedSummary,
  shuffledUnitSet, SPARSE_CODING_L1, summariseAmortisationCells, summariseScores, sumOfPartsFit, supportRecovery,
  topActivatingExamples, toyDirectionsExperiment, toyPhaseDiagram, toyPhaseDiagram3to2, toySparsitySweep,
  toyUniformExperiment, trainFashionNetwork, UNIT_SCORE_LABELS, UNIT_SCORES, unitScoreValues } from './experiments';
export type { AblationRow, AblationVariation, ActivationSet, AmortisationCellSummary, AmortisationOptions,
  AmortisationRow, ClaimVerdict, CompositeMode, CompositeScores, CompositeTest, CompositeTestOptions,
  ContrastiveRun, ConvexityResult, CrossSeedMatch, DictionaryFeatures, FashionNetwork, FashionNetworkOptions,
  FeatureDensityModel, FeatureDensityResult, FistaBudgetPoint, Frontier, FrontierModel, FrontierOptions,
  FrontierRow, GapRow, IdentifiabilityRun, IdentRunOptions, InterpretabilityExperiment,
  InterpretabilityExperimentOptions, JudgedTwoAfc, LayerAdvantage, LayerAdvantageOptions, LoadActivationSetOptions,
  MeasurementProblem, NotebookChecks, OpenBridgeResult, PhaseTransitionResult, ReadmeClaim, RecoveryPhaseCell,
  RecoveryRow, RepresentationScores, ResultNotebook, ResultsRecord, SaeAnalysis, SaeAnalysisOptions, SaeVariant,
  ScoredUnits, ScoreOptions, ScoreSummaryRow, ScoringData, SeedSummaryRow, ToyDirectionsResult, ToyPhaseCell,
  ToyPhaseCell3, ToyPhaseResult, ToyPhaseResult3, ToyRunOptions, ToySweepResult, ToyUniformResult, UnitScoreName,
  UnitScoreRow, UnitSet, UnitSetOptions } from './experiments';
export * as coursework from './coursework';

/** Version of the workbook library. */
export const VERSION: string = require('../package.json').version;
