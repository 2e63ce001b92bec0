/**
 * The client API of kvstore: {@link io.kvstore.KeyValueSystem} opens and creates stores,
 * {@link io.kvstore.KeyValueStoreReader} and {@link io.kvstore.KeyValueStoreWriter} read and
 * write them, {@link io.kvstore.TableReader} follows a table's versions, {@link io.kvstore.KeyValueConf} lists every setting, and the checked exceptions
 * ({@link io.kvstore.CorruptStoreException}, {@link io.kvstore.NotAStoreException},
 * {@link io.kvstore.IncompleteStoreException}, {@link io.kvstore.StoreNotFoundException},
 * {@link io.kvstore.DuplicateKeyException}) say what is wrong with a store.
 *
 * <p>Dependencies: Hadoop Common and the JDK only (no MapReduce or Spark types). Of kvstore's
 * own packages, only {@link io.kvstore.KeyValueSystem.Factory} reaches into
 * {@code io.kvstore.impl}, to create the one implementation; everything else in kvstore depends
 * on this package, not the other way round.
 */
package io.kvstore;
