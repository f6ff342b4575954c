import { usePathname } from '../../router';
import type { PageProps } from '../page';
import { ReportDetail } from './report-detail';
import { ReportForm } from './report-form';
import { ReportList } from './report-list';

/** `/reports` lists them, `/reports/new` defines one, `/reports/<id>` shows one and its runs. */
export default function ReportsPage(props: PageProps) {
  const pathname = usePathname();
  const rest = pathname.replace(/^\/reports\/?/, '').replace(/\/+$/, '');
  if (rest === '') return <ReportList {...props} />;
  if (rest === 'new') return <ReportForm {...props} />;
  return <ReportDetail {...props} reportId={decodeURIComponent(rest)} />;
}
