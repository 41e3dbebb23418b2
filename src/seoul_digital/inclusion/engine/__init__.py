"""The digital-inclusion engine: plain Python, no Django.

- :mod:`.schedule`  weekly time windows and the 30-minute grid they are matched on
- :mod:`.geo`       district reference points and the travel-time estimate
- :mod:`.matching`  learners × supporters, solved optimally as a min-cost flow (OR-Tools)
- :mod:`.diagnosis` versioned skills questionnaire → level per skill and overall, gains
- :mod:`.ledger`    supporter hours against the monthly cap, activity fees, booking checks
- :mod:`.contents`  the teaching contents (three levels) and partner courses as data
- :mod:`.synth`     synthetic learners and supporters for the benchmark, tests and demo
"""
