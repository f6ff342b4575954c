import type { FunctionComponent } from 'preact';
import type { Api, Principal } from '../api';

/** What every page is given by the shell. */
export interface PageProps {
  api: Api;
  principal: Principal;
  /** The page's name, as the navigation shows it. */
  title: string;
}

/** Pages are loaded when first visited, so the first screen downloads only the shell. */
export interface PageModule {
  default: FunctionComponent<PageProps>;
}
