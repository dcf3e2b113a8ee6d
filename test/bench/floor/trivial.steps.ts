/** The one step of the bench floor (test/bench/floor/trivial.feature): it does nothing on purpose. */
import { Given } from '@cucumber/cucumber';

Given('the bench floor scenario runs', () => undefined);
