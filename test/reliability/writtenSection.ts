import { z } from 'zod';
import { defineSection } from '../../shared/store/section';

/** Ids the reliability writers acknowledged; lets the tests check nothing acknowledged was lost. */
export const written = defineSection('reliability', z.array(z.string()), () => []);
