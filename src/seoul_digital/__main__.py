from seoul_digital.cli import main

main()
