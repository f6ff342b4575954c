export {
  MONTH_ABBREVIATIONS,
  MONTH_NAMES,
  WEEKDAY_ABBREVIATIONS,
  WEEKDAY_NAMES,
} from './calendar/calendar-names';
export { CommonModule } from './common.module';
export {
  type FieldError,
  MAX_FIELD_ERROR_LENGTH,
  MAX_FIELD_ERRORS,
  MAX_PROBLEM_DETAIL_LENGTH,
  type ProblemDetails,
  ProblemException,
  RequestValidationException,
  RetryLaterException,
} from './errors/problem';
export {
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsFilter,
  sendProblem,
} from './errors/problem-details.filter';
export { toProblem, uniqueViolationOf } from './errors/to-problem';
export { runHousekeeping } from './lifecycle/housekeeping';
export { ServiceLifecycle } from './lifecycle/service-lifecycle';
export { applyRouteBodyLimits, BodyLimit } from './http/body-limit';
export { REQUEST_ID_HEADER, resolveRequestId } from './http/request-id';
export { createValidationPipe, flattenValidationErrors } from './validation/validation.pipe';
export { IsWholeNumber } from './validation/is-whole-number';
export {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  type Keyed,
  type KeysetPosition,
  type Page,
  PageQueryDto,
  toPage,
} from './pagination/pagination';
export { type RequestMeta, RequestMetadata, requestMetaOf } from './http/request-meta';
export { csvField, csvTextField } from './export/csv-text';
export { CHART_FONT_FAMILY, type ChartFontFiles, chartFontFiles } from './charts/chart-fonts';
export { ChartRenderError } from './charts/chart-render-error';
export { MAX_PNG_WIDTH, renderSvgToPng, type SvgToPngOptions } from './charts/svg-png';
export { renderVegaLiteSvg } from './charts/vega-svg';
export { parseQueryString } from './http/query-string';
export {
  type TransferLimits,
  type TransferProbe,
  TransferWatchdog,
} from './http/transfer-watchdog';
export { injectionExcerpt, injectionPattern } from './guardrails/prompt-injection';
