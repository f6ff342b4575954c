import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import type { ReportContent } from '../documents/report-content';
import { composeNarrative } from '../documents/report-narrative';

/**
 * The narrative at the top of a report: sentences about each metric's headline and its
 * change, stating only numbers that the report's tables hold.
 */
@Injectable()
export class ReportNarrativeService {
  // The organization is for the model-written narrative, which is billed and traced per tenant.
  narrative(_organizationId: OrganizationId, content: ReportContent): Promise<string> {
    return Promise.resolve(composeNarrative(content));
  }
}
