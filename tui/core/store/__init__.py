"""The learner's progress store and the class views built on learners' stores."""
