package io.kvstore.tools;

/** What one run of the tool printed and returned. */
final class CliResult {
  final int status;
  final String out;
  final String err;

  CliResult(int status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  @Override
  public String toString() {
    return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
