from outsourcing.cli import main

main()
