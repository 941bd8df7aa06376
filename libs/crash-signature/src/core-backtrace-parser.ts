import { CrashFrame, ParsedCrash } from './crash-thread';

interface CoreFrameJson {
  address?: number;
  build_id?: string;
  build_id_offset?: number;
  function_name?: string;
  file_name?: string;
}

interface CoreThreadJson {
  crash_thread?: boolean;
  frames?: CoreFrameJson[];
}

interface CoreBacktraceJson {
  signal?: number;
  executable?: string;
  stacktrace?: CoreThreadJson[];
}

/**
 * Parses satyr's `core_backtrace` element, or the `problem` object of a `core` uReport
 * (same `signal`/`executable`/`stacktrace` shape). Satyr already lists frames innermost first.
 */
export function parseCoreBacktrace(input: string | object): ParsedCrash {
  const json = (typeof input === 'string' ? JSON.parse(input) : input) as CoreBacktraceJson;
  if (!json || !Array.isArray(json.stacktrace) || json.stacktrace.length === 0) {
    throw new Error('core backtrace has no stacktrace threads');
  }
  const thread = json.stacktrace.find((t) => t?.crash_thread === true) ?? json.stacktrace[0];
  const frames = (thread?.frames ?? []).map(toFrame);
  return {
    family: 'core',
    frames,
    ...(typeof json.signal === 'number' ? { signal: json.signal } : {}),
    ...(typeof json.executable === 'string' ? { executable: json.executable } : {}),
  };
}

function toFrame(json: CoreFrameJson): CrashFrame {
  const frame: CrashFrame = {};
  if (typeof json.function_name === 'string' && json.function_name !== '') frame.function = json.function_name;
  if (typeof json.file_name === 'string') {
    frame.file = json.file_name;
    frame.module = json.file_name.slice(json.file_name.lastIndexOf('/') + 1);
  }
  if (typeof json.build_id === 'string') frame.buildId = json.build_id;
  if (typeof json.build_id_offset === 'number') frame.buildIdOffset = json.build_id_offset;
  if (typeof json.address === 'number') frame.address = json.address;
  return frame;
}
