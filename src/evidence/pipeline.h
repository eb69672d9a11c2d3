// Two threads over one small ring of blocks: one hashes while the other
// encrypts or decrypts.
//
// SHA-256 and AES-256-GCM each run at one to three gigabytes a second on one
// core; done one after the other they would halve the throughput of either.
// So one thread fills blocks of plaintext in order and hands each to the
// other, and both then work on the same block at once: when sealing, the
// background thread reads and hashes while the caller encrypts and writes;
// when opening, the caller reads and decrypts while the background thread
// hashes. The side that would wait helps the other with its cipher work
// instead (AES-256-GCM only, whose chunks are independent). The ring is
// fixed: a block is filled again only once the other side has released it,
// so memory is bounded and nothing is copied between them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.h"
#include "ledger/merkle.h"

namespace liaison::evidence {

// A block of one item's plaintext; an item spans one or more blocks.
struct Block {
  std::unique_ptr<unsigned char[]> data;
  std::size_t size = 0;
  std::uint64_t item = 0;
  bool item_begins = false;
  bool item_ends = false;
  std::uint64_t first_chunk = 0;  // the item's chunk number of the block's first chunk
  ledger::Hash expected{};        // set by readers on an item's last block
};

// One producer and one consumer, each keeping its own order.
class BlockRing {
 public:
  BlockRing(std::size_t blocks, std::size_t block_bytes);
  BlockRing(const BlockRing&) = delete;
  BlockRing& operator=(const BlockRing&) = delete;

  std::size_t block_bytes() const { return block_bytes_; }

  // Producer: the next block to fill, once the consumer has released it;
  // null once stopped. The block stays readable by the producer until its
  // next acquire(). While it waits, the producer may help the consumer:
  // `help` is called (without the ring's lock) whenever the consumer has
  // called wake_producer(), and returns whether it found work.
  Block* acquire(const std::function<bool()>& help = {});
  // Consumer: there is work the producer could help with.
  void wake_producer();
  // Producer: hands the block from the last acquire() to the consumer.
  void publish();
  // Producer: there will be no more blocks.
  void close();

  // Consumer: the next published block; null once stopped, or closed with
  // every block taken. While it waits, the consumer may help the producer,
  // as acquire() may the consumer, when the producer calls wake_consumer().
  Block* take(const std::function<bool()>& help = {});
  // Producer: there is work the consumer could help with.
  void wake_consumer();
  // Consumer: done with the block from the last take(). `items_done` is
  // how many items the consumer has finished, for wait_for_items().
  void release(std::uint64_t items_done);

  // Either side: stops both; the first error is the ring's.
  void stop(Error error);
  // Waits until the consumer has finished more than `item` items.
  Status wait_for_item(std::uint64_t item);
  // The error it was stopped with, if any.
  Status status();

 private:
  std::size_t block_bytes_;
  std::vector<Block> blocks_;
  std::mutex mu_;
  std::condition_variable published_cv_, released_cv_;
  std::uint64_t acquired_ = 0, published_ = 0, taken_ = 0, released_ = 0, items_done_ = 0;
  std::uint64_t wakes_ = 0;           // wake_producer() calls, so a wake is never missed
  std::uint64_t consumer_wakes_ = 0;  // and wake_consumer()'s
  bool closed_ = false;
  bool stopped_ = false;
  Error error_;
};

// The reading side's pipeline: the caller fills blocks, a background thread
// hashes each item and hands its digest to `on_item`, and, when it has
// caught up, calls `help` (see BlockRing::take) after wake_hasher().
class HashPipeline {
 public:
  // Runs on the hashing thread when an item's last block has been hashed,
  // items in order; an error stops the pipeline.
  using ItemHashed = std::function<Status(const Block& last, const ledger::Hash& digest)>;

  HashPipeline(std::size_t blocks, std::size_t block_bytes, ItemHashed on_item,
               std::function<bool()> help = {});
  ~HashPipeline();  // stops the hasher if finish() was not called
  HashPipeline(const HashPipeline&) = delete;
  HashPipeline& operator=(const HashPipeline&) = delete;

  Block* acquire() { return ring_.acquire(); }
  void publish() { ring_.publish(); }
  void wake_hasher() { ring_.wake_consumer(); }
  Status wait_for_item(std::uint64_t item) { return ring_.wait_for_item(item); }
  // No more blocks: waits for the hasher to finish, and returns its status.
  Status finish();

 private:
  BlockRing ring_;
  ItemHashed on_item_;
  std::function<bool()> help_;
  std::thread thread_;
};

}  // namespace liaison::evidence
