export { BackgroundModule } from './background.module';
