#include "evidence/pipeline.h"

#include "evidence/digest.h"

namespace liaison::evidence {

BlockRing::BlockRing(std::size_t blocks, std::size_t block_bytes)
    : block_bytes_(block_bytes), blocks_(blocks) {
  for (Block& b : blocks_) b.data = std::make_unique_for_overwrite<unsigned char[]>(block_bytes);
}

Block* BlockRing::acquire(const std::function<bool()>& help) {
  std::unique_lock lock(mu_);
  // Block number `acquired_` reuses the slot of block `acquired_ - size`.
  auto free = [&] { return stopped_ || acquired_ - released_ < blocks_.size(); };
  std::uint64_t seen = wakes_ - 1;  // look for work at least once
  while (!free()) {
    if (help && seen != wakes_) {
      seen = wakes_;
      lock.unlock();
      bool worked = help();
      lock.lock();
      if (worked) seen = wakes_ - 1;  // there may be more
      continue;
    }
    released_cv_.wait(lock);
  }
  if (stopped_) return nullptr;
  Block* b = &blocks_[acquired_ % blocks_.size()];
  ++acquired_;
  b->size = 0;
  b->item_begins = b->item_ends = false;
  return b;
}

void BlockRing::wake_producer() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  released_cv_.notify_one();
}

void BlockRing::publish() {
  {
    std::lock_guard lock(mu_);
    published_ = acquired_;
  }
  published_cv_.notify_one();
}

void BlockRing::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  published_cv_.notify_one();
}

void BlockRing::wake_consumer() {
  {
    std::lock_guard lock(mu_);
    ++consumer_wakes_;
  }
  published_cv_.notify_one();
}

Block* BlockRing::take(const std::function<bool()>& help) {
  std::unique_lock lock(mu_);
  auto ready = [&] { return stopped_ || closed_ || taken_ < published_; };
  std::uint64_t seen = consumer_wakes_ - 1;  // look for work at least once
  while (!ready()) {
    if (help && seen != consumer_wakes_) {
      seen = consumer_wakes_;
      lock.unlock();
      bool worked = help();
      lock.lock();
      if (worked) seen = consumer_wakes_ - 1;  // there may be more
      continue;
    }
    published_cv_.wait(lock);
  }
  if (stopped_ || taken_ == published_) return nullptr;
  return &blocks_[taken_++ % blocks_.size()];
}

void BlockRing::release(std::uint64_t items_done) {
  {
    std::lock_guard lock(mu_);
    released_ = taken_;
    items_done_ = items_done;
  }
  released_cv_.notify_one();
}

void BlockRing::stop(Error error) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    error_ = std::move(error);
  }
  published_cv_.notify_all();
  released_cv_.notify_all();
}

Status BlockRing::wait_for_item(std::uint64_t item) {
  std::unique_lock lock(mu_);
  released_cv_.wait(lock, [&] { return stopped_ || items_done_ > item; });
  if (stopped_) return error_;
  return Ok{};
}

Status BlockRing::status() {
  std::lock_guard lock(mu_);
  if (stopped_) return error_;
  return Ok{};
}

HashPipeline::HashPipeline(std::size_t blocks, std::size_t block_bytes, ItemHashed on_item,
                           std::function<bool()> help)
    : ring_(blocks, block_bytes), on_item_(std::move(on_item)), help_(std::move(help)) {
  thread_ = std::thread([this] {
    Sha256 sha;
    std::uint64_t items_done = 0;
    while (Block* b = ring_.take(help_)) {
      if (b->item_begins) sha.reset();
      sha.update(b->data.get(), b->size);
      if (b->item_ends) {
        Status s = on_item_(*b, sha.finish());
        if (!s.ok()) {
          ring_.stop(s.take_error());
          return;
        }
        items_done = b->item + 1;
      }
      ring_.release(items_done);
    }
  });
}

HashPipeline::~HashPipeline() {
  if (thread_.joinable()) {
    ring_.stop(Error::internal("the hashing pipeline was stopped"));
    thread_.join();
  }
}

Status HashPipeline::finish() {
  ring_.close();
  thread_.join();
  return ring_.status();
}

}  // namespace liaison::evidence
