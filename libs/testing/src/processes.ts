/** Whether a process exists (a zombie counts until it is reaped: it still answers signal 0). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
