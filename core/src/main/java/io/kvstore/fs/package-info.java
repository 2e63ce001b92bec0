/**
 * The filesystem seam: {@code FileOperations} is the one way kvstore calls a Hadoop
 * {@code FileSystem} (turning {@code false} from rename and delete into exceptions), so tests can
 * inject a fault into any call. {@code ForwardingFileOperations} is the base of every wrapper
 * that changes some calls; {@code Closer} closes several resources without losing an error.
 *
 * <p>Dependencies: Hadoop Common and the JDK only; no other kvstore package.
 */
package io.kvstore.fs;
