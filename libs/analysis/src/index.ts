export {
  BUILTIN_MODEL_NAME,
  BUILTIN_PROVIDER,
  BuiltinModel,
  BuiltinModelProvider,
} from './models/builtin-model';
