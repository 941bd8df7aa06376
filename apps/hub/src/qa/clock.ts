import { Injectable } from '@nestjs/common';

/** The time triage rules run at; tests move it instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
