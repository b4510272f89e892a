#pragma once
// File work off the GUI thread: runs a function on its own thread while the GUI thread keeps
// painting (its event loop runs, user input excluded, so nothing starts a second operation
// meanwhile), then returns the function's result or rethrows its exception. For reads and writes a
// user waits for anyway (opening an image, saving a session) but during which the window must not
// freeze; work nobody waits for (autosave) goes to AutosaveWriter instead.

#include <QEventLoop>
#include <QThread>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace medclick::ui {

template <class Work>
auto runOffGuiThread(Work work) -> std::invoke_result_t<Work> {
  using Result = std::invoke_result_t<Work>;
  constexpr bool returnsNothing = std::is_void_v<Result>;
  struct Outcome {
    std::conditional_t<returnsNothing, bool, std::optional<Result>> value{};
    std::exception_ptr error;
  };
  auto outcome = std::make_shared<Outcome>();
  std::unique_ptr<QThread> thread(QThread::create([outcome, work = std::move(work)]() mutable {
    try {
      if constexpr (returnsNothing)
        work();
      else
        outcome->value.emplace(work());
    } catch (...) {
      outcome->error = std::current_exception();
    }
  }));
  QEventLoop loop;
  QObject::connect(thread.get(), &QThread::finished, &loop, &QEventLoop::quit);
  thread->start();
  if (!thread->isFinished()) loop.exec(QEventLoop::ExcludeUserInputEvents);
  thread->wait(); // finished may have come before the loop ran: wait() makes sure it is over
  if (outcome->error) std::rethrow_exception(outcome->error);
  if constexpr (!returnsNothing) return std::move(*outcome->value);
}

} // namespace medclick::ui
