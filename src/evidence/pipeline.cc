#include "evidence/pipeline.h"

#include "evidence/digest.h"

namespace liaison::evidence {

HashPipeline::HashPipeline(std::size_t blocks, std::size_t block_bytes, ItemHashed on_item)
    : block_bytes_(block_bytes), on_item_(std::move(on_item)), ring_(blocks) {
  for (Block& b : ring_) b.data = std::make_unique_for_overwrite<unsigned char[]>(block_bytes);
  thread_ = std::thread([this] { run(); });
}

HashPipeline::~HashPipeline() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    if (!failed_) {
      failed_ = true;
      error_ = Error::internal("the hashing pipeline was stopped");
    }
  }
  published_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Block* HashPipeline::acquire() {
  std::unique_lock lock(mu_);
  // Block `acquired_` reuses the slot of block `acquired_ - ring size`.
  consumed_cv_.wait(lock, [&] { return failed_ || acquired_ - consumed_ < ring_.size(); });
  if (failed_) return nullptr;
  Block* b = &ring_[acquired_ % ring_.size()];
  ++acquired_;
  b->size = 0;
  b->item_begins = b->item_ends = false;
  return b;
}

void HashPipeline::publish() {
  {
    std::lock_guard lock(mu_);
    published_ = acquired_;
  }
  published_cv_.notify_one();
}

Status HashPipeline::wait_for_item(std::uint64_t item) {
  std::unique_lock lock(mu_);
  consumed_cv_.wait(lock, [&] { return failed_ || items_done_ > item; });
  if (failed_) return error_;
  return Ok{};
}

Status HashPipeline::finish() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  published_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  if (failed_) return error_;
  return Ok{};
}

void HashPipeline::run() {
  Sha256 sha;
  for (;;) {
    Block* b = nullptr;
    {
      std::unique_lock lock(mu_);
      published_cv_.wait(lock, [&] { return failed_ || closed_ || consumed_ < published_; });
      if (failed_ || consumed_ == published_) return;  // stopped, or closed and drained
      b = &ring_[consumed_ % ring_.size()];
    }
    if (b->item_begins) sha.reset();
    sha.update(b->data.get(), b->size);
    Status status;
    if (b->item_ends) status = on_item_(*b, sha.finish());
    {
      std::lock_guard lock(mu_);
      ++consumed_;
      if (b->item_ends) items_done_ = b->item + 1;
      if (!status.ok()) {
        failed_ = true;
        error_ = status.take_error();
      }
    }
    consumed_cv_.notify_one();
    if (!status.ok()) return;
  }
}

}  // namespace liaison::evidence
