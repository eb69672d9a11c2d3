// Hashing on a second thread, alongside the thread that encrypts or decrypts.
//
// SHA-256 and AES-256-GCM each run at one to three gigabytes a second on one
// core; done one after the other they would halve the throughput of either.
// So the calling thread fills blocks of plaintext in order (read from a file
// to be sealed, or decrypted from a package) and hands each to a hashing
// thread, then goes on to encrypt or deliver the same block while it is
// hashed. The blocks form a small fixed ring: the caller waits for a block to
// come back from the hasher before it fills it again, so memory is bounded
// and neither side ever copies.
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
  ledger::Hash expected{};  // set by readers on an item's last block
};

class HashPipeline {
 public:
  // Runs on the hashing thread when an item's last block has been hashed,
  // items in order; an error stops the pipeline.
  using ItemHashed = std::function<Status(const Block& last, const ledger::Hash& digest)>;

  HashPipeline(std::size_t blocks, std::size_t block_bytes, ItemHashed on_item);
  ~HashPipeline();  // stops the hasher if finish() was not called
  HashPipeline(const HashPipeline&) = delete;
  HashPipeline& operator=(const HashPipeline&) = delete;

  std::size_t block_bytes() const { return block_bytes_; }

  // The next block to fill, once the hasher is done with it; null when the
  // hasher has failed (finish() says why). The block stays the caller's to
  // read until its next acquire().
  Block* acquire();
  // Hands the block from the last acquire() to the hasher.
  void publish();
  // Waits until item `item` has been hashed and handled; the hasher's status.
  Status wait_for_item(std::uint64_t item);
  // No more blocks: waits for the hasher to finish, and returns its status.
  Status finish();

 private:
  void run();

  std::size_t block_bytes_;
  ItemHashed on_item_;
  std::vector<Block> ring_;

  std::mutex mu_;
  std::condition_variable published_cv_, consumed_cv_;
  std::uint64_t published_ = 0;  // blocks handed to the hasher
  std::uint64_t consumed_ = 0;   // blocks the hasher is done with
  std::uint64_t acquired_ = 0;   // blocks handed to the caller
  std::uint64_t items_done_ = 0;
  bool closed_ = false;
  bool failed_ = false;
  Error error_;
  std::thread thread_;
};

}  // namespace liaison::evidence
