export { AnalysisModel } from './analysis-model';
export { AnalysisModelModule } from './analysis-model.module';
export {
  BUILTIN_MODEL_NAME,
  BUILTIN_PROVIDER,
  BuiltinModel,
  BuiltinModelProvider,
} from './builtin-model';
export { ModelCallError } from './limited-model';
export {
  CLASSIFY_BATCH,
  modelPassageClassifier,
  type PassageClassifier,
  type PassageMethod,
  type SentimentLabel,
} from './passage-classifier';
