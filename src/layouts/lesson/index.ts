import Callout from './Callout.astro';
import Contact from './Contact.astro';
import Council from './Council.astro';
import Hubs from './Hubs.astro';
import OnlineHub from './OnlineHub.astro';
import Scenario from './Scenario.astro';

/** The components a lesson may use without importing them. */
export const lessonComponents = { Callout, Contact, Council, Hubs, OnlineHub, Scenario };
