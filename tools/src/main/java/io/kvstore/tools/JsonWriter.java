package io.kvstore.tools;

/**
 * A minimal streaming JSON writer for {@code --json} output: objects, arrays, strings, numbers
 * and booleans, with commas placed automatically. Not a general library: no pretty-printing
 * beyond one level of newlines, no validation of nesting.
 */
final class JsonWriter {
  private final StringBuilder sb = new StringBuilder();
  private boolean needComma;

  JsonWriter beginObject() {
    comma();
    sb.append('{');
    needComma = false;
    return this;
  }

  JsonWriter endObject() {
    sb.append('}');
    needComma = true;
    return this;
  }

  JsonWriter beginArray() {
    comma();
    sb.append('[');
    needComma = false;
    return this;
  }

  JsonWriter endArray() {
    sb.append(']');
    needComma = true;
    return this;
  }

  /** Writes a member name; the next value call writes its value. */
  JsonWriter name(String name) {
    comma();
    quote(name);
    sb.append(':');
    needComma = false;
    return this;
  }

  JsonWriter value(String s) {
    comma();
    if (s == null) {
      sb.append("null");
    } else {
      quote(s);
    }
    needComma = true;
    return this;
  }

  JsonWriter value(long n) {
    comma();
    sb.append(n);
    needComma = true;
    return this;
  }

  JsonWriter value(boolean b) {
    comma();
    sb.append(b);
    needComma = true;
    return this;
  }

  private void comma() {
    if (needComma) {
      sb.append(',');
    }
  }

  private void quote(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\r':
          sb.append("\\r");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
