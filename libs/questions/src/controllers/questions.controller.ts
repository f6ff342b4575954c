import { CurrentPrincipal, type Principal, RequirePermission } from '@app/access';
import { type Page, PageQueryDto } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { RateLimitClass } from '@app/rate-limit';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AskQuestionDto, mapQuestion, QuestionDto, QuestionPageDto } from '../dtos/question.dto';
import { QuestionsService } from '../services/questions.service';

const id = new ParseUUIDPipe();

/** The 422 of a question it will not guess at: the problem, and what to ask about instead. */
const NOT_UNDERSTOOD = {
  status: 422,
  description:
    'The question cannot be answered from this dataset (problem+json, `question-not-understood`)',
  content: {
    'application/problem+json': {
      schema: {
        allOf: [
          { $ref: '#/components/schemas/ProblemDetails' },
          {
            type: 'object',
            required: ['notUnderstood', 'columns'],
            properties: {
              notUnderstood: {
                type: 'array',
                description: 'Words or phrases of the question that could not be placed',
                maxItems: 100,
                items: { type: 'string', maxLength: 2000 },
              },
              columns: {
                type: 'array',
                description: "The dataset's columns (the first 100): what can be asked about",
                maxItems: 100,
                items: { type: 'string', maxLength: 256 },
              },
            },
          },
        ],
      },
    },
  },
};

@ApiTags('questions')
@Controller()
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Post('datasets/:id/questions')
  @HttpCode(200)
  @Idempotent()
  @RequirePermission('datasets:read')
  @RateLimitClass('expensive')
  @ApiOperation({
    summary: 'Ask a dataset a question; answered from a structured query, never model SQL',
    description:
      'The question is read as a structured query (docs/questions.md), which is validated, ' +
      'compiled and run read-only; the answer states only numbers of its result.',
  })
  @ApiOkResponse({ type: QuestionDto })
  @ApiResponse(NOT_UNDERSTOOD)
  async ask(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @Body() body: AskQuestionDto,
  ): Promise<QuestionDto> {
    return mapQuestion(
      await this.questions.ask(principal.organizationId, datasetId, body.question, principal),
    );
  }

  @Get('datasets/:id/questions')
  @RequirePermission('datasets:read')
  @ApiOperation({ summary: "List a dataset's questions and answers, newest first" })
  @ApiOkResponse({ type: QuestionPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<QuestionDto>> {
    return this.questions.list(principal.organizationId, datasetId, query);
  }

  @Get('questions/:id/chart.svg')
  @RequirePermission('datasets:read')
  @Header('content-type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: "Render a question's chart (SVG, Vega-Lite)" })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The chart; 404 when the answer has none' })
  async chart(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) questionId: string,
  ): Promise<string> {
    return this.questions.chartSvg(principal.organizationId, questionId);
  }
}
