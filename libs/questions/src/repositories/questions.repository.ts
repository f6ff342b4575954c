import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { QuestionEntity } from '../entities/question.entity';

/** Questions and answers, always within one organization: no method reads across tenants. */
@Injectable()
export class QuestionsRepository {
  constructor(
    @InjectRepository(QuestionEntity) private readonly questions: Repository<QuestionEntity>,
  ) {}

  async insert(
    organizationId: OrganizationId,
    question: Omit<QuestionEntity, 'organizationId' | 'createdAt'>,
  ): Promise<QuestionEntity> {
    return this.questions.save(this.questions.create({ ...question, organizationId }));
  }

  find(organizationId: OrganizationId, id: string): Promise<QuestionEntity | null> {
    return this.questions.findOneBy({ organizationId, id });
  }

  /** A page of one dataset's questions, newest first. */
  listForDataset(
    organizationId: OrganizationId,
    datasetId: string,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<QuestionEntity>>> {
    const query = this.questions
      .createQueryBuilder('question')
      .where('question.organization_id = :organizationId', { organizationId })
      .andWhere('question.dataset_id = :datasetId', { datasetId });
    return newestFirstPage(query, 'question', limit, after);
  }
}
